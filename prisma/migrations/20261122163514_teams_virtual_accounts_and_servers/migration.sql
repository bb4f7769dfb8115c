-- CreateEnum
CREATE TYPE "GrantToolMode" AS ENUM ('all', 'allow', 'deny');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "GrantSubjectType" ADD VALUE 'team';
ALTER TYPE "GrantSubjectType" ADD VALUE 'virtual_account';

-- AlterEnum
ALTER TYPE "GrantTargetType" ADD VALUE 'virtual_server';

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN     "scope" JSONB,
ADD COLUMN     "virtualAccountId" UUID,
ALTER COLUMN "userId" DROP NOT NULL;

-- AlterTable: existing grants keep their meaning (every tool, or the allow-list)
ALTER TABLE "Grant" ADD COLUMN     "toolMode" "GrantToolMode" NOT NULL DEFAULT 'all';
UPDATE "Grant" SET "toolMode" = CASE WHEN "allTools" THEN 'all'::"GrantToolMode" ELSE 'allow'::"GrantToolMode" END;
UPDATE "Grant" SET "tools" = '{}' WHERE "allTools";
ALTER TABLE "Grant" DROP COLUMN "allTools";

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","userId")
);

-- CreateTable
CREATE TABLE "VirtualAccount" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "status" "UserStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VirtualAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VirtualServer" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VirtualServer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VirtualServerTool" (
    "id" UUID NOT NULL,
    "virtualServerId" UUID NOT NULL,
    "serverId" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "position" INTEGER NOT NULL,

    CONSTRAINT "VirtualServerTool_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VirtualAccount_teamId_name_key" ON "VirtualAccount"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "VirtualServer_slug_key" ON "VirtualServer"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "VirtualServerTool_virtualServerId_name_key" ON "VirtualServerTool"("virtualServerId", "name");

-- CreateIndex
CREATE INDEX "AccessToken_virtualAccountId_idx" ON "AccessToken"("virtualAccountId");

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VirtualAccount" ADD CONSTRAINT "VirtualAccount_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessToken" ADD CONSTRAINT "AccessToken_virtualAccountId_fkey" FOREIGN KEY ("virtualAccountId") REFERENCES "VirtualAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VirtualServerTool" ADD CONSTRAINT "VirtualServerTool_virtualServerId_fkey" FOREIGN KEY ("virtualServerId") REFERENCES "VirtualServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VirtualServerTool" ADD CONSTRAINT "VirtualServerTool_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A token has exactly one owner: a user or a virtual account.
ALTER TABLE "AccessToken" ADD CONSTRAINT "AccessToken_one_owner" CHECK (("userId" IS NULL) <> ("virtualAccountId" IS NULL));
