// Reads a utility configuration file from config/ by id and checks it against the schema.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseUtilityConfig, type UtilityConfig } from './schema.ts';

const configDir = dirname(fileURLToPath(import.meta.url));

export function availableUtilities(): string[] {
  return readdirSync(configDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadUtilityConfig(id: string): UtilityConfig {
  if (!availableUtilities().includes(id)) {
    throw new ConfigError(`Unknown utility "${id}": choose one of ${availableUtilities().join(', ')}.`);
  }
  const file = join(configDir, `${id}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config/${id}.json is not valid JSON: ${(error as Error).message}`);
  }
  const config = parseUtilityConfig(raw, `config/${id}.json`);
  if (config.id !== id) throw new ConfigError(`config/${id}.json: id: must equal the file name "${id}"`);
  return config;
}
