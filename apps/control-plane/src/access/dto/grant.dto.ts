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

export class GrantSubjectRef {
  @ApiProperty({ enum: ["user"] }) @IsIn(["user"]) type!: "user";
  @ApiProperty({ format: "uuid" }) @IsUUID() id!: string;
}

export class GrantTargetRef {
  @ApiProperty({ enum: ["server"] }) @IsIn(["server"]) type!: "server";
  @ApiProperty({ format: "uuid" }) @IsUUID() id!: string;
}

export class CreateGrantDto {
  @ApiProperty({ type: GrantSubjectRef })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GrantSubjectRef)
  subject!: GrantSubjectRef;

  @ApiProperty({ type: GrantTargetRef })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => GrantTargetRef)
  target!: GrantTargetRef;

  @ApiPropertyOptional({
    type: [String],
    example: ["create_issue"],
    description: "Tool allow-list; every tool when absent",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 128, { each: true })
  tools?: string[];
}

export class GrantQuery extends PageQuery {
  @ApiPropertyOptional({ format: "uuid" }) @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ format: "uuid" }) @IsOptional() @IsUUID() targetId?: string;
}

export class GrantView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ type: GrantSubjectRef }) subject!: GrantSubjectRef;
  @ApiProperty({ type: GrantTargetRef }) target!: GrantTargetRef;
  @ApiProperty({ type: [String], nullable: true, description: "null: every tool" }) tools!: string[] | null;
  @ApiProperty() createdAt!: Date;
}

export class GrantPage {
  @ApiProperty({ type: [GrantView] }) items!: GrantView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
