import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from "class-validator";
import { PageQuery } from "../../common/cursor-pagination.js";
import { TargetRefDto } from "../../common/target-ref.dto.js";

export class GrantSubjectRef {
  @ApiProperty({ enum: ["user", "team", "virtual-account"] })
  @IsIn(["user", "team", "virtual-account"])
  type!: "user" | "team" | "virtual-account";

  @ApiProperty({ format: "uuid" }) @IsUUID() id!: string;
}

export class GrantToolsDto {
  @ApiProperty({
    enum: ["all", "allow", "deny"],
    description: "all: every tool of the target. allow: only `names`. deny: every tool but `names`.",
  })
  @IsIn(["all", "allow", "deny"])
  mode!: "all" | "allow" | "deny";

  @ApiPropertyOptional({
    type: [String],
    example: ["create_issue"],
    description:
      "Upstream tool names for a server, virtual tool names for a virtual server; required for allow and deny",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  names?: string[];
}

export class CreateGrantDto {
  @ApiProperty({ type: GrantSubjectRef })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GrantSubjectRef)
  subject!: GrantSubjectRef;

  @ApiProperty({ type: TargetRefDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => TargetRefDto)
  target!: TargetRefDto;

  @ApiPropertyOptional({ type: GrantToolsDto, description: "Every tool when absent" })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GrantToolsDto)
  tools?: GrantToolsDto;
}

export class GrantQuery extends PageQuery {
  @ApiPropertyOptional({ format: "uuid" }) @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ format: "uuid" }) @IsOptional() @IsUUID() targetId?: string;
}

export class GrantView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ type: GrantSubjectRef }) subject!: GrantSubjectRef;
  @ApiProperty({ type: TargetRefDto }) target!: TargetRefDto;
  @ApiProperty({ type: GrantToolsDto }) tools!: GrantToolsDto;
  @ApiProperty() createdAt!: Date;
}

export class GrantPage {
  @ApiProperty({ type: [GrantView] }) items!: GrantView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
