import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePluginConfig, readPluginConfig, rememberStartOptions } from '../../../cli/plugin-config';
import { assemblePlugins, loadPlugin, resolvePluginRef } from '../../../cli/plugins';
import type { Plugin } from '../../../core/kernel';

const plugin = (name: string, version = '1.0.0'): Plugin => ({ name, version, apply: () => {} });

describe('plugin config (orch.json)', () => {
  it('reads plugins and disable lists, both optional', () => {
    expect(parsePluginConfig('{"plugins":["./p.js","orch-plugin-x"],"disable":["scheduler-spread"]}', 'orch.json')).toEqual({ plugins: ['./p.js', 'orch-plugin-x'], disable: ['scheduler-spread'] });
    expect(parsePluginConfig('{}', 'orch.json')).toEqual({ plugins: [], disable: [] });
  });

  it.each([
    ['{', 'orch.json is not valid JSON'],
    ['[]', 'orch.json: expected an object'],
    ['{"plugin":[]}', 'orch.json: unknown key "plugin"'],
    ['{"disable":"x"}', 'orch.json: "disable" must be a list of non-empty strings, got "x"'],
  ])('refuses %s naming the file and field', (text, message) => expect(() => parsePluginConfig(text, 'orch.json')).toThrow(message));

  it('remembers plugin files once each, keeping the rest of the config', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-cfg-'));
    expect(readPluginConfig(dir)).toEqual({ plugins: [], disable: [] });
    fs.writeFileSync(path.join(dir, 'orch.json'), '{"disable":["net-overlay"]}');
    rememberStartOptions(dir, ['/a.js']);
    rememberStartOptions(dir, ['/a.js', '/b.js'], ['process']);
    expect(readPluginConfig(dir)).toEqual({ plugins: ['/a.js', '/b.js'], disable: ['net-overlay'], runtimes: ['process'] });
    fs.rmSync(dir, { recursive: true });
  });
});

describe('plugin references', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-refs-'));
  beforeAll(() => {
    const pkg = path.join(dir, 'node_modules', 'orch-plugin-hello');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"orch-plugin-hello","main":"main.js"}');
    fs.writeFileSync(path.join(pkg, 'main.js'), 'module.exports = { plugin: { name: "hello", version: "1.0.0", apply() {} } };');
    fs.writeFileSync(path.join(dir, 'local.js'), 'exports.default = { name: "local", version: "1.0.0", apply() {} };');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  it('resolves a path against the base dir, and an npm package by name or as orch-plugin-NAME', () => {
    expect(loadPlugin(resolvePluginRef('./local.js', dir, '--plugin')).name).toBe('local');
    expect(loadPlugin(resolvePluginRef('orch-plugin-hello', dir, '--plugin')).name).toBe('hello');
    expect(resolvePluginRef('hello', dir, '--plugin')).toBe(path.join(dir, 'node_modules', 'orch-plugin-hello', 'main.js'));
  });

  it('names the flag and what it looked for when nothing is found', () => {
    expect(() => resolvePluginRef('./missing.js', dir, '--plugin')).toThrow(`invalid --plugin: cannot find a module at "./missing.js" (resolved against ${dir})`);
    expect(() => resolvePluginRef('nope', dir, '--plugin')).toThrow('cannot find an npm package "nope" or "orch-plugin-nope"');
  });
});

describe('assemblePlugins', () => {
  const defaults = [plugin('store-raft'), plugin('scheduler-spread'), plugin('net-overlay')];

  it('replaces a default by an extra of the same name, appends the others, and drops the disabled', () => {
    const mine = plugin('scheduler-spread', '2.0.0');
    const set = assemblePlugins(defaults, [mine, plugin('binpack')], ['net-overlay']);
    expect(set.map((p) => `${p.name}@${p.version}`)).toEqual(['store-raft@1.0.0', 'scheduler-spread@2.0.0', 'binpack@1.0.0']);
  });

  it('refuses to disable a plugin that is not there', () => {
    expect(() => assemblePlugins(defaults, [], ['schedular-spread'])).toThrow('"disable" names no loaded plugin: "schedular-spread" (plugins: store-raft, scheduler-spread, net-overlay)');
  });
});
