-- CreateTable
CREATE TABLE "ServerGroup" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerGroupManager" (
    "groupId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerGroupManager_pkey" PRIMARY KEY ("groupId","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServerGroup_name_key" ON "ServerGroup"("name");

-- CreateIndex
CREATE INDEX "ServerGroupManager_userId_idx" ON "ServerGroupManager"("userId");

-- The group every server registered before groups existed belongs to (and that org admins'
-- registrations default to).
INSERT INTO "ServerGroup" ("id", "name") VALUES ('00000000-0000-4000-8000-000000000001', 'default');

-- AlterTable: existing servers move into the default group
ALTER TABLE "McpServer" ADD COLUMN     "groupId" UUID NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001';
ALTER TABLE "McpServer" ALTER COLUMN "groupId" DROP DEFAULT;

-- AddForeignKey
ALTER TABLE "ServerGroupManager" ADD CONSTRAINT "ServerGroupManager_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ServerGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerGroupManager" ADD CONSTRAINT "ServerGroupManager_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "McpServer" ADD CONSTRAINT "McpServer_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "ServerGroup"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
