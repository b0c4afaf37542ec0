/** The plugin's name; also the name its hook taps carry. */
export const PLUGIN_NAME = 'scheduler-spread';
