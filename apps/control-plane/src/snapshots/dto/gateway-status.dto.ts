import { ApiProperty } from "@nestjs/swagger";

export class GatewayStatusView {
  @ApiProperty({ example: "gateway-7d9f" }) gatewayId!: string;
  @ApiProperty({ description: "Snapshot version the gateway serves (0: none)" }) version!: number;
  @ApiProperty({ description: "sha256 of the snapshot it serves" }) sha256!: string;
  @ApiProperty({ enum: ["applied", "rejected", "stale", "heartbeat", "empty"] }) status!: string;
  @ApiProperty({ nullable: true, type: String, description: "Why the last offered snapshot was refused" })
  error!: string | null;
  @ApiProperty() reportedAt!: Date;
}

export class FleetView {
  @ApiProperty({ type: [GatewayStatusView] }) items!: GatewayStatusView[];
}
