/** Dependency-injection tokens for values that are not classes. */
export const CONTROL_PLANE_CONFIG = Symbol("ControlPlaneConfig");
export const POLICY_BUS = Symbol("PolicyBus");
