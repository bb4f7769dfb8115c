import { Injectable } from "@nestjs/common";
import { AppError } from "../common/app-error.js";
import { PrismaService } from "../common/prisma.service.js";

const TIMEOUT_MS = 2_000;

@Injectable()
export class DatabaseHealth {
  constructor(private readonly prisma: PrismaService) {}

  async check(): Promise<{ status: "ok" }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    try {
      await Promise.race([this.prisma.client.$queryRaw`select 1`, timeout]);
      return { status: "ok" };
    } catch (error) {
      throw new AppError("SERVICE_UNAVAILABLE", "The database does not answer", {
        message: `health check failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
