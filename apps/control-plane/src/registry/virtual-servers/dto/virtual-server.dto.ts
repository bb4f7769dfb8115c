import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from "class-validator";
import { SLUG_PATTERN } from "../../dto/server.dto.js";

export class VirtualToolInput {
  @ApiProperty({ format: "uuid", description: "The server the tool comes from" })
  @IsUUID()
  serverId!: string;

  @ApiProperty({ example: "create_issue", description: "The tool's name on that server" })
  @IsString()
  @Length(1, 128)
  tool!: string;

  @ApiPropertyOptional({ example: "file_bug", description: "The name agents see; the upstream name when absent" })
  @IsOptional()
  @Matches(/^[a-zA-Z0-9_-]{1,64}$/, { message: "name must be 1-64 of [A-Za-z0-9_-]" })
  name?: string;

  @ApiPropertyOptional({ example: "File a bug in the tracker", description: "Replaces the upstream description" })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;
}

export class CreateVirtualServerDto {
  @ApiProperty({ example: "Triage", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: "triage", description: "URL-safe id; derived from the name when absent" })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: "slug must be 1-32 lowercase letters, digits or inner hyphens" })
  slug?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;

  @ApiProperty({ type: [VirtualToolInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => VirtualToolInput)
  tools!: VirtualToolInput[];
}

export class VirtualToolView {
  @ApiProperty({ example: "file_bug" }) name!: string;
  @ApiProperty({ format: "uuid" }) serverId!: string;
  @ApiProperty({ example: "create_issue" }) tool!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
}

export class VirtualServerView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "Triage" }) name!: string;
  @ApiProperty({ example: "triage", description: "Served by gateways at /mcp/v/{slug}" }) slug!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [VirtualToolView] }) tools!: VirtualToolView[];
  @ApiProperty() createdAt!: Date;
}

export class VirtualServerPage {
  @ApiProperty({ type: [VirtualServerView] }) items!: VirtualServerView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
