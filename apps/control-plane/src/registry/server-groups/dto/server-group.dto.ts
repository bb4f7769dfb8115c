import { ApiProperty } from "@nestjs/swagger";
import { IsString, Length } from "class-validator";

export class CreateServerGroupDto {
  @ApiProperty({ example: "Engineering tools", maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class ServerGroupView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "Engineering tools" }) name!: string;
  @ApiProperty({ type: [String], description: "User ids of the group's managers" }) managerIds!: string[];
  @ApiProperty() createdAt!: Date;
}

export class ServerGroupPage {
  @ApiProperty({ type: [ServerGroupView] }) items!: ServerGroupView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
