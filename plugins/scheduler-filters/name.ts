/** The plugin's name, also the prefix of its tap names. */
export const PLUGIN_NAME = 'scheduler-filters';
