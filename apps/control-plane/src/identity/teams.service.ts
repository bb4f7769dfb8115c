import { Injectable } from "@nestjs/common";
import type { Team, TeamMember, VirtualAccount } from "@switchboard/database";
import { AppError } from "../common/app-error.js";
import { type Page, type PageQuery, pageArguments, toPage } from "../common/cursor-pagination.js";
import { PrismaService } from "../common/prisma.service.js";
import { isUniqueViolation } from "../common/prisma-errors.js";
import { PolicyChanges } from "../snapshots/policy-changes.js";
import type { CreateTeamDto, CreateVirtualAccountDto, TeamView, VirtualAccountView } from "./dto/team.dto.js";

function presentTeam(team: Team & { members: TeamMember[] }): TeamView {
  return {
    id: team.id,
    name: team.name,
    memberIds: team.members.map((member) => member.userId),
    createdAt: team.createdAt,
  };
}

export function presentVirtualAccount(account: VirtualAccount): VirtualAccountView {
  return {
    id: account.id,
    teamId: account.teamId,
    name: account.name,
    status: account.status,
    createdAt: account.createdAt,
  };
}

/** Teams, their members and the virtual accounts they own. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: PolicyChanges,
  ) {}

  async create(input: CreateTeamDto): Promise<TeamView> {
    try {
      const team = await this.changes.commit("team.created", (tx) =>
        tx.team.create({ data: { name: input.name }, include: { members: true } }),
      );
      return presentTeam(team);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A team named "${input.name}" already exists`);
      throw error;
    }
  }

  async list(query: PageQuery): Promise<Page<TeamView>> {
    const rows = await this.prisma.client.team.findMany({ ...pageArguments(query), include: { members: true } });
    return toPage(rows, query.limit, presentTeam);
  }

  async get(id: string): Promise<TeamView> {
    const team = await this.prisma.client.team.findUnique({ where: { id }, include: { members: true } });
    if (!team) throw AppError.notFound("Team");
    return presentTeam(team);
  }

  /** Deletes the team, its virtual accounts (and their tokens) and every grant to either. */
  async remove(id: string): Promise<void> {
    await this.changes.commit(
      "team.deleted",
      async (tx) => {
        const accounts = await tx.virtualAccount.findMany({ where: { teamId: id }, select: { id: true } });
        const deleted = await tx.team.deleteMany({ where: { id } });
        if (deleted.count === 0) throw AppError.notFound("Team");
        await tx.grant.deleteMany({
          where: {
            OR: [
              { subjectType: "team", subjectId: id },
              { subjectType: "virtual_account", subjectId: { in: accounts.map((account) => account.id) } },
            ],
          },
        });
      },
      { target: { type: "team", id } },
    );
  }

  async addMember(teamId: string, userId: string): Promise<TeamView> {
    await this.changes.commit(
      "team.member_added",
      async (tx) => {
        await this.requireTeamAndUser(tx, teamId, userId);
        await tx.teamMember.upsert({
          where: { teamId_userId: { teamId, userId } },
          create: { teamId, userId },
          update: {},
        });
      },
      { target: { type: "team", id: teamId } },
    );
    return this.get(teamId);
  }

  async removeMember(teamId: string, userId: string): Promise<TeamView> {
    await this.changes.commit(
      "team.member_removed",
      async (tx) => {
        await this.requireTeamAndUser(tx, teamId, userId);
        await tx.teamMember.deleteMany({ where: { teamId, userId } });
      },
      { target: { type: "team", id: teamId } },
    );
    return this.get(teamId);
  }

  async createVirtualAccount(teamId: string, input: CreateVirtualAccountDto): Promise<VirtualAccountView> {
    try {
      const account = await this.changes.commit("virtual-account.created", async (tx) => {
        if (!(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } })))
          throw AppError.notFound("Team");
        return tx.virtualAccount.create({ data: { teamId, name: input.name } });
      });
      return presentVirtualAccount(account);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError("CONFLICT", `The team already has a virtual account named "${input.name}"`);
      }
      throw error;
    }
  }

  async listVirtualAccounts(teamId: string): Promise<VirtualAccountView[]> {
    await this.get(teamId);
    const accounts = await this.prisma.client.virtualAccount.findMany({ where: { teamId }, orderBy: { name: "asc" } });
    return accounts.map(presentVirtualAccount);
  }

  private async requireTeamAndUser(
    tx: Parameters<Parameters<PolicyChanges["commit"]>[1]>[0],
    teamId: string,
    userId: string,
  ) {
    if (!(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw AppError.notFound("Team");
    if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) throw AppError.notFound("User");
  }
}
