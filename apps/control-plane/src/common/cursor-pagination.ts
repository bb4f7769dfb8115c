import { ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import { IsInt, IsOptional, IsString, Max, Min } from "class-validator";
import { AppError } from "./app-error.js";

export class PageQuery {
  @ApiPropertyOptional({ description: "Page size", minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "The nextCursor of the previous page" })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export type Page<T> = { items: T[]; nextCursor: string | null };

/** Keyset pagination on `id`: stable under inserts, and the cursor is opaque to callers. */
export function pageArguments(query: PageQuery) {
  const take = query.limit ?? 50;
  let after: string | undefined;
  if (query.cursor) {
    after = Buffer.from(query.cursor, "base64url").toString("utf8");
    if (!/^[0-9a-f-]{36}$/.test(after)) {
      throw new AppError("VALIDATION_FAILED", "The cursor is not valid", {
        fieldErrors: [{ field: "cursor", message: "cursor must be a nextCursor returned by this API" }],
      });
    }
  }
  return { take: take + 1, orderBy: { id: "asc" as const }, ...(after ? { where: { id: { gt: after } } } : {}) };
}

export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  limit: number | undefined,
  present: (row: Row) => T,
): Page<T> {
  const size = limit ?? 50;
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return {
    items: items.map(present),
    nextCursor: rows.length > size && last ? Buffer.from(last.id, "utf8").toString("base64url") : null,
  };
}
