import { Module } from "@nestjs/common";
import { AuditController } from "./audit.controller.js";
import { AuditLogService } from "./audit-log.service.js";

/** The admin audit log: written by PolicyChanges in each mutation's transaction, read here. */
@Module({ controllers: [AuditController], providers: [AuditLogService] })
export class AuditModule {}
