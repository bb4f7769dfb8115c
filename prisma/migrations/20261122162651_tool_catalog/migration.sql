-- CreateEnum
CREATE TYPE "ToolApproval" AS ENUM ('auto', 'manual');

-- AlterTable
ALTER TABLE "McpServer" ADD COLUMN     "catalogError" TEXT,
ADD COLUMN     "catalogSyncedAt" TIMESTAMP(3),
ADD COLUMN     "toolApproval" "ToolApproval" NOT NULL DEFAULT 'auto';

-- CreateTable
CREATE TABLE "McpTool" (
    "id" UUID NOT NULL,
    "serverId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB,
    "sha256" TEXT,
    "approvedDefinition" JSONB,
    "approvedSha256" TEXT,
    "approvedAt" TIMESTAMP(3),
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpTool_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "McpTool_serverId_name_key" ON "McpTool"("serverId", "name");

-- AddForeignKey
ALTER TABLE "McpTool" ADD CONSTRAINT "McpTool_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
