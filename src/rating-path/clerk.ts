/**
 * Which clerk a record names (domain-rules §11 ⟨r2⟩; province-profile.md: `proManager`/`staffId` always
 * present): the window system's `staff` in its report of the service, else the clerk signed in at the window,
 * else the window's responsible clerk from provisioning (`window.defaultStaff`). Pure.
 */

export interface Clerk {
  staffId: string;
  name: string;
}

const usable = (clerk: Clerk | null | undefined): clerk is Clerk =>
  clerk !== null && clerk !== undefined && clerk.staffId !== '' && clerk.name !== '';

/** The clerk who served, decided once when the service is reported and kept on its row. */
export function clerkForService(reported: Clerk | null, signedIn: Clerk | null, defaultStaff: Clerk): Clerk {
  if (usable(reported)) return reported;
  if (usable(signedIn)) return signedIn;
  return defaultStaff;
}

/**
 * The clerk of a stored service. Rows written before the rule above may have none (nobody signed in, or a
 * restart forgot the clerk): those records name the window's responsible clerk, never nobody.
 */
export function clerkOfStoredService(
  stored: { staffId: string | null; staffName: string | null },
  defaultStaff: Clerk,
): Clerk {
  const clerk = { staffId: stored.staffId ?? '', name: stored.staffName ?? '' };
  return usable(clerk) ? clerk : defaultStaff;
}
