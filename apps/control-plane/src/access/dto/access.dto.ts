import { ApiProperty, ApiPropertyOptional } from "@nestjs/swagger";
import { IsIn, IsString, IsUUID, Length } from "class-validator";

export class PrincipalQuery {
  @ApiProperty({ enum: ["user", "virtual-account"] })
  @IsIn(["user", "virtual-account"])
  principalType!: "user" | "virtual-account";

  @ApiProperty({ format: "uuid" })
  @IsUUID()
  principalId!: string;
}

export class ExplainQuery extends PrincipalQuery {
  @ApiProperty({ enum: ["server", "virtual-server"] })
  @IsIn(["server", "virtual-server"])
  targetType!: "server" | "virtual-server";

  @ApiProperty({ format: "uuid" })
  @IsUUID()
  targetId!: string;

  @ApiProperty({ example: "create_issue", description: "Upstream name on a server, virtual name on a virtual server" })
  @IsString()
  @Length(1, 128)
  tool!: string;
}

export class EffectiveTargetView {
  @ApiProperty({ format: "uuid" }) id!: string;
  @ApiProperty({ example: "github" }) slug!: string;
  @ApiProperty({ type: [String], description: "Tools the principal may call there" }) tools!: string[];
}

export class EffectiveAccessView {
  @ApiProperty({ description: "The snapshot these answers come from (what gateways enforce)" })
  snapshotVersion!: number;
  @ApiProperty({ type: [EffectiveTargetView] }) servers!: EffectiveTargetView[];
  @ApiProperty({ type: [EffectiveTargetView] }) virtualServers!: EffectiveTargetView[];
}

export class ExplainView {
  @ApiProperty() snapshotVersion!: number;
  @ApiProperty() allowed!: boolean;
  @ApiPropertyOptional({
    enum: [
      "unknown_target",
      "server_disabled",
      "outside_token_scope",
      "no_grant",
      "not_in_allow_list",
      "in_deny_list",
      "unknown_virtual_tool",
      "tool_not_approved",
    ],
    description: "Why it is denied",
  })
  reason?: string;
  @ApiProperty({
    type: [String],
    description: "Allowed: the grants that each allow it. Denied by a list: the grants considered.",
  })
  grantIds!: string[];
  @ApiPropertyOptional({ description: "The upstream tool it resolves to, with its pinned digest" })
  upstream?: { serverId: string; tool: string; sha256: string };
}
