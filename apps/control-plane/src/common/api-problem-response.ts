import { applyDecorators } from "@nestjs/common";
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from "@nestjs/swagger";
import { APP_ERROR_STATUS } from "./app-error.js";

class FieldErrorView {
  @ApiProperty({ example: "email" }) field!: string;
  @ApiProperty({ example: "email must be an email" }) message!: string;
}

/** RFC 9457 problem details as the OpenAPI document describes them. */
export class ProblemDetailsView {
  @ApiProperty({ example: "https://switchboard.dev/problems/validation-failed" }) type!: string;
  @ApiProperty({ example: "Bad Request" }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ enum: Object.keys(APP_ERROR_STATUS), example: "VALIDATION_FAILED" }) code!: string;
  @ApiProperty({ example: "The request is not valid" }) detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: "One entry per invalid field" })
  errors?: FieldErrorView[];
}

/** Documents an error answer of a route with the application/problem+json schema. */
export function ApiProblemResponse(status: number, description: string) {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsView, FieldErrorView),
    ApiResponse({
      status,
      description,
      content: { "application/problem+json": { schema: { $ref: getSchemaPath(ProblemDetailsView) } } },
    }),
  );
}
