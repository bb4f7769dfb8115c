import { ParseUUIDPipe } from "@nestjs/common";
import { AppError } from "./app-error.js";

/** Route ids are UUIDs; anything else cannot exist, so it is a 404, not a database error. */
export const idParam = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound("Resource") });
