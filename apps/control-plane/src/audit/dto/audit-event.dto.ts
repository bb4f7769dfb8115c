import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import { IsDate, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from "class-validator";

export class AuditQuery {
  @ApiPropertyOptional({ format: "uuid", description: "Only this actor's changes" })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: "grant.created" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @ApiPropertyOptional({ example: "server" })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  targetType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  targetId?: string;

  @ApiPropertyOptional({ type: Date, description: "From this time (inclusive)" })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ type: Date, description: "Before this time" })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: "The nextCursor of the previous page" })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AuditEventView {
  @ApiProperty({ description: "Position in the log; later events have higher numbers" }) seq!: string;
  @ApiProperty() occurredAt!: Date;
  @ApiProperty({ example: { type: "user", id: "…" } }) actor!: { type: string; id: string | null };
  @ApiProperty({ example: "grant.created" }) action!: string;
  @ApiProperty({ nullable: true, type: Object, example: { type: "grant", id: "…" } })
  target!: { type: string | null; id: string | null };
  @ApiProperty({ nullable: true, type: String }) beforeSha256!: string | null;
  @ApiProperty({ nullable: true, type: String }) afterSha256!: string | null;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
