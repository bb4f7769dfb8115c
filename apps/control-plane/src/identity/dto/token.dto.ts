import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { IsDateString, IsOptional, IsString, Length } from "class-validator";

export class CreateTokenDto {
  @ApiProperty({ example: "laptop", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: "2027-01-01T00:00:00Z", description: "No expiry when absent" })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class TokenView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ format: "uuid" }) userId!: string;
  @ApiProperty({ example: "laptop" }) name!: string;
  @ApiProperty({ example: "sbp_Xy3kQ9", description: "The first characters of the token" }) displayPrefix!: string;
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
}

export class CreatedTokenView extends TokenView {
  @ApiProperty({ description: "The secret: shown in this response only", example: "sbp_…" }) token!: string;
}

export class TokenList {
  @ApiProperty({ type: [TokenView] }) items!: TokenView[];
}
