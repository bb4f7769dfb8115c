import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from "class-validator";
import { PageQuery } from "../../common/cursor-pagination.js";

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export class ServerAuthInput {
  @ApiProperty({ enum: ["none", "headers"], example: "headers" })
  @IsIn(["none", "headers"])
  type!: "none" | "headers";

  @ApiPropertyOptional({
    description: "Static headers sent to the upstream on every request; values are encrypted and never shown again",
    example: { Authorization: "Bearer upstream-api-key" },
    type: "object",
    additionalProperties: { type: "string" },
  })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class CreateServerDto {
  @ApiProperty({ example: "GitHub", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: "github", description: "URL-safe id; derived from the name when absent" })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: "slug must be 1-32 lowercase letters, digits or inner hyphens" })
  slug?: string;

  @ApiPropertyOptional({
    format: "uuid",
    description: "The server group; org admins default to the `default` group, a manager of one group to theirs",
  })
  @IsOptional()
  @IsUUID()
  groupId?: string;

  @ApiProperty({ example: "https://mcp.example.com/mcp", description: "Streamable HTTP endpoint of the upstream" })
  @IsUrl(
    { protocols: ["http", "https"], require_protocol: true, require_tld: false },
    { message: "url must be an http(s) URL" },
  )
  url!: string;

  @ApiPropertyOptional({ type: ServerAuthInput })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ServerAuthInput)
  auth?: ServerAuthInput;

  @ApiPropertyOptional({
    enum: ["auto", "manual"],
    default: "auto",
    description:
      "auto: tools found on the server are approved as found. manual: each new tool waits for an approval. A changed definition always waits for one.",
  })
  @IsOptional()
  @IsIn(["auto", "manual"])
  toolApproval?: "auto" | "manual";

  @ApiPropertyOptional({ example: "Issues and pull requests", maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ["engineering", "source-control"] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ default: true, description: "A disabled server is hidden from every caller at every gateway" })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** Every field optional; the slug never changes (gateway endpoints and tool prefixes depend on it). */
export class UpdateServerDto {
  @ApiPropertyOptional({ example: "GitHub", maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: "https://mcp.example.com/mcp" })
  @IsOptional()
  @IsUrl(
    { protocols: ["http", "https"], require_protocol: true, require_tld: false },
    { message: "url must be an http(s) URL" },
  )
  url?: string;

  @ApiPropertyOptional({ type: ServerAuthInput })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ServerAuthInput)
  auth?: ServerAuthInput;

  @ApiPropertyOptional({ enum: ["auto", "manual"] })
  @IsOptional()
  @IsIn(["auto", "manual"])
  toolApproval?: "auto" | "manual";

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class ServerAuthView {
  @ApiProperty({ enum: ["none", "headers"] }) type!: "none" | "headers";
  @ApiPropertyOptional({ type: [String], example: ["Authorization"] }) headerNames?: string[];
}

export class CatalogStateView {
  @ApiProperty({ nullable: true, type: Date, description: "When the tool catalog was last read" })
  syncedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String, description: "Why the last catalog read failed" })
  error!: string | null;
}

export class ServerHealthView {
  @ApiProperty({
    enum: ["healthy", "unhealthy", "unknown"],
    description: "From the last catalog read (initialize + tools/list), on registration, on demand and on schedule",
  })
  status!: string;
  @ApiProperty({ nullable: true, type: Date }) checkedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Number, description: "How long the last successful read took" })
  latencyMs!: number | null;
}

export class ServerView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "GitHub" }) name!: string;
  @ApiProperty({ example: "github" }) slug!: string;
  @ApiProperty({ format: "uuid" }) groupId!: string;
  @ApiProperty({ example: "https://mcp.example.com/mcp" }) url!: string;
  @ApiProperty({ type: ServerAuthView }) auth!: ServerAuthView;
  @ApiProperty({ enum: ["auto", "manual"] }) toolApproval!: "auto" | "manual";
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: "Bumped by every update; also sent as the ETag header" }) revision!: number;
  @ApiProperty({ type: CatalogStateView }) catalog!: CatalogStateView;
  @ApiProperty({ type: ServerHealthView }) health!: ServerHealthView;
  @ApiProperty() createdAt!: Date;
}

export class ServerPage {
  @ApiProperty({ type: [ServerView] }) items!: ServerView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ServerQuery extends PageQuery {
  @ApiPropertyOptional({ format: "uuid" }) @IsOptional() @IsUUID() groupId?: string;
  @ApiPropertyOptional({ example: "engineering", description: "Servers carrying this tag" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tag?: string;
  @ApiPropertyOptional({ enum: ["true", "false"] })
  @IsOptional()
  @IsIn(["true", "false"])
  enabled?: "true" | "false";
}
