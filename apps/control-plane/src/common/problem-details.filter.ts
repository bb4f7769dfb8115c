import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from "@nestjs/common";
import type { FastifyReply } from "fastify";
import { toProblemDetails } from "./problem-details.js";

/** Every error leaves the API as application/problem+json; internals only reach the log. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger("Api");

  catch(error: unknown, host: ArgumentsHost): void {
    const problem = toProblemDetails(error);
    if (problem.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (problem.status === 401) reply.header("www-authenticate", 'Bearer realm="switchboard-admin"');
    void reply.status(problem.status).type("application/problem+json").send(problem);
  }
}
