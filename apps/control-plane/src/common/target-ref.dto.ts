import { ApiProperty } from "@nestjs/swagger";
import { IsIn, IsUUID } from "class-validator";

/** A server or a virtual server, as grants and token scopes name them. */
export class TargetRefDto {
  @ApiProperty({ enum: ["server", "virtual-server"], example: "server" })
  @IsIn(["server", "virtual-server"])
  type!: "server" | "virtual-server";

  @ApiProperty({ format: "uuid" })
  @IsUUID()
  id!: string;
}
