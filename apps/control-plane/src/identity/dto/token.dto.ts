import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { Type } from "class-transformer";
import { ArrayMaxSize, IsArray, IsDateString, IsOptional, IsString, Length, ValidateNested } from "class-validator";
import { TargetRefDto } from "../../common/target-ref.dto.js";

export class CreateTokenDto {
  @ApiProperty({ example: "laptop", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: "2027-01-01T00:00:00Z", description: "No expiry when absent" })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({
    type: [TargetRefDto],
    description: "Limits the token to these servers and virtual servers; whatever its owner may use when absent",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TargetRefDto)
  scope?: TargetRefDto[];
}

export class TokenOwnerView {
  @ApiProperty({ enum: ["user", "virtual-account"] }) type!: "user" | "virtual-account";
  @ApiProperty({ format: "uuid" }) id!: string;
}

export class TokenView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ type: TokenOwnerView }) owner!: TokenOwnerView;
  @ApiProperty({ example: "laptop" }) name!: string;
  @ApiProperty({ type: [TargetRefDto], nullable: true, description: "null: not limited" })
  scope!: TargetRefDto[] | null;
  @ApiProperty({ example: "sbp_Xy3kQ9", description: "The first characters of the token" }) displayPrefix!: string;
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: "Reported by gateways; eventually consistent" })
  lastUsedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class CreatedTokenView extends TokenView {
  @ApiProperty({ description: "The secret: shown in this response only", example: "sbp_…" }) token!: string;
}

export class TokenList {
  @ApiProperty({ type: [TokenView] }) items!: TokenView[];
}
