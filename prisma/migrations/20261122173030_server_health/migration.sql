-- AlterTable
ALTER TABLE "McpServer" ADD COLUMN     "healthCheckedAt" TIMESTAMP(3),
ADD COLUMN     "healthLatencyMs" INTEGER,
ADD COLUMN     "healthStatus" TEXT NOT NULL DEFAULT 'unknown';
