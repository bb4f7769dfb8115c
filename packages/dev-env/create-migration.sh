#!/bin/sh
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the schema as last
# committed (git HEAD) to what prisma/schema.prisma describes now. Prisma's JavaScript schema
# engine needs no native binary; it diffs the two schema files (the pg adapter in prisma.config.ts
# rules out --from-url) but still opens DATABASE_URL, which may be any reachable Postgres.
set -eu
name=${1:?usage: npm run db:migrate:create -- <name>}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
previous=$(mktemp --suffix=.prisma)
trap 'rm -f "$previous"' EXIT
git -C "$ROOT" show HEAD:prisma/schema.prisma >"$previous"
dir="$ROOT/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_$name"
mkdir -p "$dir"
: "${DATABASE_URL:?set DATABASE_URL to any reachable Postgres}"
npx prisma migrate diff \
  --config "$ROOT/prisma.config.ts" --from-schema-datamodel "$previous" \
  --to-schema-datamodel "$ROOT/prisma/schema.prisma" --script -o "$dir/migration.sql"
echo "wrote $dir/migration.sql"
