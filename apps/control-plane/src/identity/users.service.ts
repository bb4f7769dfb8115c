import { Injectable } from "@nestjs/common";
import type { User } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, pageArguments, toPage } from "../common/cursor-pagination.js";
import { PrismaService } from "../common/prisma.service.js";
import { isUniqueViolation } from "../common/prisma-errors.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreateUserDto, UserQuery, UserView } from "./dto/user.dto.js";

function present(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt,
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async create(input: CreateUserDto): Promise<UserView> {
    try {
      const user = await this.changes.commit("user.created", (tx) =>
        tx.user.create({ data: { email: input.email.toLowerCase(), name: input.name, role: input.role ?? "member" } }),
      );
      return present(user);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("CONFLICT", `A user with the email ${input.email} already exists`);
      throw error;
    }
  }

  async list(query: UserQuery): Promise<Page<UserView>> {
    const page = pageArguments(query);
    const where = {
      ...page.where,
      ...(query.email ? { email: query.email.toLowerCase() } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.role ? { role: query.role } : {}),
    };
    return toPage(await this.prisma.client.user.findMany({ ...page, where }), query.limit, present);
  }

  async get(id: string): Promise<UserView> {
    const user = await this.prisma.client.user.findUnique({ where: { id } });
    if (!user) throw AppError.notFound("User");
    return present(user);
  }

  /**
   * Deactivates or reactivates a user. A deactivated user's tokens are left out of the next
   * snapshot, so every gateway refuses them; the last active org admin stays active.
   */
  async setStatus(id: string, status: "active" | "deactivated"): Promise<UserView> {
    const user = await this.changes.commit(
      `user.${status === "active" ? "reactivated" : "deactivated"}`,
      async (tx) => {
        const admins = await tx.$queryRaw<Array<{ id: string }>>`
        select id::text from "User" where role = 'org_admin' and status = 'active' for update`;
        if (!(await tx.user.findUnique({ where: { id }, select: { id: true } }))) throw AppError.notFound("User");
        if (status === "deactivated" && admins.length === 1 && admins[0]?.id === id) {
          throw new AppError("CONFLICT", "The last active org admin cannot be deactivated");
        }
        return tx.user.update({ where: { id }, data: { status } });
      },
    );
    return present(user);
  }

  /**
   * Deletes the user with their tokens and grants; gateways refuse their tokens from the next snapshot.
   * The last active org admin stays: without one nobody could use the admin API any more.
   */
  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "user.deleted",
      async (tx) => {
        // Locking the admins' rows makes two concurrent deletions of the last two admins take turns.
        const admins = await tx.$queryRaw<Array<{ id: string }>>`
        select id::text from "User" where role = 'org_admin' and status = 'active' for update`;
        const user = await tx.user.findUnique({ where: { id }, select: { id: true } });
        if (!user) throw AppError.notFound("User");
        if (admins.length === 1 && admins[0]?.id === id) {
          throw new AppError(
            "CONFLICT",
            "The last active org admin cannot be deleted; make another user org admin first",
          );
        }
        await tx.user.delete({ where: { id } });
        await tx.grant.deleteMany({ where: { subjectType: "user", subjectId: id } });
      },
      { target: { type: "user", id } },
    );
  }
}
