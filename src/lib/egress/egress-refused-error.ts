import { describeRange, type BlockedRange } from './address-policy';

/** A call was not made: its host is, or resolves to, an internal address that is not allowed. */
export class EgressRefusedError extends Error {
  override readonly name = 'EgressRefusedError';
  readonly code = 'EGRESS_REFUSED';
  constructor(
    /** The host as the URL names it. */
    readonly host: string,
    /** The address refused: the host itself when it is an IP literal, else one of its answers. */
    readonly address: string,
    readonly range: BlockedRange,
  ) {
    super(
      host === address
        ? `${host} is ${describeRange(range)}`
        : `${host} resolves to ${describeRange(range)} (${address})`,
    );
  }
}
