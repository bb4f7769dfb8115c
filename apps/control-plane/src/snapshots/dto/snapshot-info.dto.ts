import { ApiProperty } from "@nestjs/swagger";

export class SnapshotInfo {
  @ApiProperty({ example: 42, description: "The policy revision the snapshot was compiled at" }) version!: number;
  @ApiProperty({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }) sha256!: string;
  @ApiProperty({ description: "Size of the snapshot document in bytes, before compression" }) sizeBytes!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date, description: "null until the bus has accepted it" })
  publishedAt!: Date | null;
}
