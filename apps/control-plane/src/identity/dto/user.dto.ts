import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { IsEmail, IsIn, IsOptional, IsString, Length } from "class-validator";
import { PageQuery } from "../../common/cursor-pagination.js";

export class CreateUserDto {
  @ApiProperty({ example: "ada@example.com" })
  @IsEmail()
  email!: string;

  @ApiProperty({ example: "Ada Lovelace", maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ["org_admin", "member"], default: "member" })
  @IsOptional()
  @IsIn(["org_admin", "member"])
  role?: "org_admin" | "member";
}

export class UserView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "ada@example.com" }) email!: string;
  @ApiProperty({ example: "Ada Lovelace" }) name!: string;
  @ApiProperty({ enum: ["org_admin", "member"] }) role!: "org_admin" | "member";
  @ApiProperty({ enum: ["active", "deactivated"] }) status!: "active" | "deactivated";
  @ApiProperty() createdAt!: Date;
}

export class UserPage {
  @ApiProperty({ type: [UserView] }) items!: UserView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ example: "ada@example.com" }) @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ enum: ["active", "deactivated"] })
  @IsOptional()
  @IsIn(["active", "deactivated"])
  status?: "active" | "deactivated";
  @ApiPropertyOptional({ enum: ["org_admin", "member"] })
  @IsOptional()
  @IsIn(["org_admin", "member"])
  role?: "org_admin" | "member";
}
