#!/bin/sh
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a database at the
# latest migration (DATABASE_URL, e.g. a local dev database after `npm run db:migrate:deploy`) to
# what prisma/schema.prisma describes. Prisma's JavaScript schema engine needs no native binary.
set -eu
name=${1:?usage: npm run db:migrate:create -- <name>}
: "${DATABASE_URL:?set DATABASE_URL to a database migrated to the latest migration}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
dir="$ROOT/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
npx prisma migrate diff --config "$ROOT/prisma.config.ts" --from-url "$DATABASE_URL" \
  --to-schema-datamodel "$ROOT/prisma/schema.prisma" --script -o "$dir/migration.sql"
echo "wrote $dir/migration.sql"
