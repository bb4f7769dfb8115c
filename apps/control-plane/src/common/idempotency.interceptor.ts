import { createHash } from "node:crypto";
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from "@nestjs/common";
import { HTTP_CODE_METADATA } from "@nestjs/common/constants.js";
import { canonicalJson } from "@switchboard/snapshot";
import type { FastifyReply, FastifyRequest } from "fastify";
import { catchError, from, mergeMap, type Observable, of, throwError } from "rxjs";
import { AppError } from "./app-error.js";
import { PrismaService } from "./prisma.service.js";
import { isUniqueViolation } from "./prisma-errors.js";
import { currentActor } from "./request-actor.js";

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * `Idempotency-Key` on creates (POST): the first request runs and its answer is kept for 24 hours
 * per actor and key; a retry with the same key and the same request gets that answer again
 * (`Idempotent-Replayed: true`) instead of creating twice. The same key with a different request
 * is a 409, as is a retry while the first is still running. Secrets in answers (a new token's
 * `token`) are never kept: a replay returns the token without it.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly prisma: PrismaService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = request.headers["idempotency-key"];
    const actor = currentActor();
    if (request.method !== "POST" || key === undefined || actor.type !== "user") return next.handle();
    if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
      throw AppError.invalid([{ field: "Idempotency-Key", message: "must be 1-200 visible ASCII characters" }]);
    }
    const path = request.url.split("?")[0] as string;
    const requestSha256 = createHash("sha256")
      .update(`${request.method} ${path} ${canonicalJson(request.body ?? null)}`)
      .digest("hex");
    const where = { actorId_key: { actorId: actor.id, key } };
    const existing = await this.prisma.client.idempotencyRecord.findUnique({ where });
    if (existing && Date.now() - existing.createdAt.getTime() < KEPT_MS) {
      if (existing.requestSha256 !== requestSha256) {
        throw new AppError("CONFLICT", "This Idempotency-Key was used for a different request");
      }
      if (existing.status === null) {
        throw new AppError("CONFLICT", "The request with this Idempotency-Key is still being processed");
      }
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      reply.status(existing.status).header("idempotent-replayed", "true");
      return of(existing.body);
    }
    if (existing) await this.prisma.client.idempotencyRecord.delete({ where });
    await this.prisma.client.idempotencyRecord
      .create({ data: { actorId: actor.id, key, method: request.method, path, requestSha256 } })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new AppError("CONFLICT", "The request with this Idempotency-Key is still being processed");
        }
        throw error;
      });
    // Nest applies the route's status after interceptors: read what it will be.
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          this.prisma.client.idempotencyRecord
            .update({ where, data: { status, body: (withoutSecret(body) ?? null) as object } })
            .then(() => body),
        ),
      ),
      // A failed request keeps nothing: retrying with the same key runs it again.
      catchError((error: unknown) =>
        from(this.prisma.client.idempotencyRecord.delete({ where }).catch(() => undefined)).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}

function withoutSecret(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("token" in body)) return body ?? null;
  const { token: _secret, ...rest } = body as Record<string, unknown>;
  return rest;
}
