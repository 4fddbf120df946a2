/**
 * The name of the file that turns a repository into one of many accounts (SPEC §14). On its own
 * so that a command can look for the file without loading the loader (validate starts fastest).
 */
export const REPO_CONFIG_FILE = 'sinkops.yaml';
