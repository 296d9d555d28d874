/** Placeholder until the analysis engine lands: the demo seed stores no snapshot. */
export const analyzeDemoIncident = undefined;
