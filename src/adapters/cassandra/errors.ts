import cassandra from 'cassandra-driver';

const { errors, types } = cassandra;
const codes = types.responseErrorCodes;

/**
 * Whether a failed request certainly changed nothing. Only errors raised before the coordinator applied
 * anything count: Unavailable (the coordinator saw too few live replicas and refused before writing),
 * Overloaded / IsBootstrapping (refused on arrival), syntax and invalid-request errors, and
 * NoHostAvailable whose every cause is a connection failure (nothing was sent). WriteTimeout and
 * WriteFailure (some replicas may have applied it), a client-side timeout and anything unknown may have
 * taken effect: info.
 */
export function certainlyNotApplied(e: unknown): boolean {
  if (e instanceof errors.NoHostAvailableError) {
    const inner = Object.values((e.innerErrors ?? {}) as Record<string, unknown>);
    return inner.every(
      (x) =>
        (!(x instanceof errors.OperationTimedOutError) && !(x instanceof errors.ResponseError)) ||
        (x instanceof errors.ResponseError && refusedBeforeApplying(x.code)),
    );
  }
  if (e instanceof errors.ResponseError) return refusedBeforeApplying(e.code);
  return false;
}

function refusedBeforeApplying(code: number): boolean {
  return (
    code === codes.unavailableException ||
    code === codes.overloaded ||
    code === codes.isBootstrapping ||
    code === codes.syntaxError ||
    code === codes.invalid ||
    code === codes.unauthorized ||
    code === codes.configError
  );
}

export function errorText(e: unknown): string {
  if (e instanceof errors.ResponseError) {
    const name = Object.entries(codes).find(([, v]) => v === e.code)?.[0] ?? `0x${e.code.toString(16)}`;
    return `${name}: ${e.message}`;
  }
  if (e instanceof errors.NoHostAvailableError) {
    const inner = Object.entries((e.innerErrors ?? {}) as Record<string, Error>)
      .map(([h, x]) => `${h}: ${x?.message ?? String(x)}`)
      .join('; ');
    return `no host available${inner ? ` (${inner})` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}
