import { ApiProperty } from "@nestjs/swagger";
import { IsString, Length } from "class-validator";

export class CreateTeamDto {
  @ApiProperty({ example: "Platform", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class TeamView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "Platform" }) name!: string;
  @ApiProperty({ type: [String], description: "Member user ids" }) memberIds!: string[];
  @ApiProperty() createdAt!: Date;
}

export class TeamPage {
  @ApiProperty({ type: [TeamView] }) items!: TeamView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class CreateVirtualAccountDto {
  @ApiProperty({ example: "ci-bot", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class VirtualAccountView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ format: "uuid" }) teamId!: string;
  @ApiProperty({ example: "ci-bot" }) name!: string;
  @ApiProperty({ enum: ["active", "deactivated"] }) status!: "active" | "deactivated";
  @ApiProperty() createdAt!: Date;
}

export class VirtualAccountList {
  @ApiProperty({ type: [VirtualAccountView] }) items!: VirtualAccountView[];
}
