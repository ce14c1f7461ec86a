/** Version of the backtest engine's semantics; saved with every run. Bump when results may change. */
export const ENGINE_VERSION = "1.1.0";
