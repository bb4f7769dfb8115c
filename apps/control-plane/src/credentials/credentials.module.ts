import { Module } from "@nestjs/common";
import { CredentialVault } from "./credential-vault.js";

@Module({ providers: [CredentialVault], exports: [CredentialVault] })
export class CredentialsModule {}
