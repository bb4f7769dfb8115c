import { Injectable } from "@nestjs/common";
import { AppError } from "../common/app-error.js";
import { PrismaService } from "../common/prisma.service.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { VirtualAccountView } from "./dto/team.dto.js";
import { presentVirtualAccount } from "./teams.service.js";

/** A virtual account on its own: read, deactivate, delete (its tokens go with it). */
@Injectable()
export class VirtualAccountsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async get(id: string): Promise<VirtualAccountView> {
    const account = await this.prisma.client.virtualAccount.findUnique({ where: { id } });
    if (!account) throw AppError.notFound("Virtual account");
    return presentVirtualAccount(account);
  }

  async setStatus(id: string, status: "active" | "deactivated"): Promise<VirtualAccountView> {
    const account = await this.changes.commit(`virtual-account.${status}`, async (tx) => {
      if (!(await tx.virtualAccount.findUnique({ where: { id }, select: { id: true } }))) {
        throw AppError.notFound("Virtual account");
      }
      return tx.virtualAccount.update({ where: { id }, data: { status } });
    });
    return presentVirtualAccount(account);
  }

  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "virtual-account.deleted",
      async (tx) => {
        const deleted = await tx.virtualAccount.deleteMany({ where: { id } });
        if (deleted.count === 0) throw AppError.notFound("Virtual account");
        await tx.grant.deleteMany({ where: { subjectType: "virtual_account", subjectId: id } });
      },
      { target: { type: "virtual-account", id } },
    );
  }
}
