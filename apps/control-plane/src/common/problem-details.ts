import { HttpException } from "@nestjs/common";
import { AppError, type AppErrorCode, type FieldError } from "./app-error.js";

/** RFC 9457 problem details, the only error shape the API answers with. */
export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  code: AppErrorCode;
  detail: string;
  errors?: FieldError[];
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: "MALFORMED_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
};

function problem(status: number, code: AppErrorCode, detail: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: `https://switchboard.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    code,
    detail,
    ...(errors ? { errors } : {}),
  };
}

/** Maps anything thrown to a problem; unknown errors become a bare 500 with no internals. */
export function toProblemDetails(error: unknown): ProblemDetails {
  if (error instanceof AppError) return problem(error.status, error.code, error.userMessage, error.fieldErrors);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_STATUS[status];
    if (code) return problem(status, code, status === 404 ? "No such resource or route" : error.message);
  }
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === "number" && CODE_BY_STATUS[statusCode]) {
    const detail = statusCode === 400 ? "The request body is not valid JSON" : (TITLES[statusCode] ?? "Error");
    return problem(statusCode, CODE_BY_STATUS[statusCode] as AppErrorCode, detail);
  }
  return problem(500, "INTERNAL", "Something went wrong on our side; the error was logged");
}
