import { Injectable, type OnModuleInit, type Type } from "@nestjs/common";
import { PATH_METADATA } from "@nestjs/common/constants.js";
import { DiscoveryService } from "@nestjs/core";
import { PERMISSION_KEY, PUBLIC_KEY } from "./route-access.decorators.js";

function declaresAccess(target: object): boolean {
  return Reflect.hasMetadata(PERMISSION_KEY, target) || Reflect.hasMetadata(PUBLIC_KEY, target);
}

/** Method names of a controller, inherited ones included. */
function methodNames(controller: Type): Set<string> {
  const names = new Set<string>();
  for (let prototype = controller.prototype; prototype && prototype !== Object.prototype; ) {
    for (const name of Object.getOwnPropertyNames(prototype)) if (name !== "constructor") names.add(name);
    prototype = Object.getPrototypeOf(prototype);
  }
  return names;
}

/** "Controller.method" of every route handler that declares neither a permission nor @Public(). */
export function routesWithoutAccessDeclaration(controllers: Type[]): string[] {
  return controllers.flatMap((controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    return [...methodNames(controller)].flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== "function") return [];
      if (!Reflect.hasMetadata(PATH_METADATA, handler)) return [];
      return declaresAccess(handler) || declaresAccess(controller) ? [] : [`${controller.name}.${name}`];
    });
  });
}

/**
 * Refuses to start when a route forgot its access declaration. The guard would deny such a route
 * anyway; failing at startup turns a silent 403 into a bug found before deployment.
 */
@Injectable()
export class RouteAccessAudit implements OnModuleInit {
  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const controllers = this.discovery
      .getControllers()
      .flatMap((wrapper) => (typeof wrapper.metatype === "function" ? [wrapper.metatype as Type] : []));
    const undeclared = routesWithoutAccessDeclaration(controllers);
    if (undeclared.length > 0) {
      throw new Error(`routes without @RequirePermission() or @Public(): ${undeclared.join(", ")}`);
    }
  }
}
