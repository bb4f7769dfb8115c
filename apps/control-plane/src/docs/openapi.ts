import type { NestFastifyApplication } from "@nestjs/platform-fastify";
import { DocumentBuilder, SwaggerModule } from "@nestjs/swagger";

/** The OpenAPI document at /api/openapi.json and a browsable UI at /api/docs; both public. */
export function mountOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle("Switchboard admin API")
      .setDescription(
        "Registry, identities, tokens and grants of the Switchboard MCP gateway. Errors are application/problem+json.",
      )
      .setVersion("1")
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup("api/docs", app, document, {
    jsonDocumentUrl: "api/openapi.json",
    yamlDocumentUrl: "api/openapi.yaml",
  });
}
