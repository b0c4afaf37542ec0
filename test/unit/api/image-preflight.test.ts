import { imagePreflight } from '../../../core/api/handlers';
import { parseServiceSpec } from '../../../core/model/service-spec';
import type { Runtime } from '../../../core/runtime/contract';

const spec = (image: string) => parseServiceSpec({ name: 'web', task: { container: { image } } });

describe('image preflight', () => {
  it('asks the runtime once per image for a while, and names the field when the image is missing', async () => {
    const asked: string[] = [];
    const runtime = { hasImage: async (image: string) => (asked.push(image), image === 'present') } as unknown as Runtime;
    let now = 0;
    const check = imagePreflight([runtime], () => now);
    await check(spec('present'));
    await check(spec('present'));
    expect(asked).toEqual(['present']);
    now = 31_000;
    await check(spec('present'));
    expect(asked).toEqual(['present', 'present']);
    await expect(check(spec('missing'))).rejects.toMatchObject({ field: 'task.container.image' });
    await expect(check(spec('missing'))).rejects.toThrow('not found on this node');
    expect(asked.filter((i) => i === 'missing')).toHaveLength(2);
  });

  it('asks only the runtime the task names; none when this node lacks it', async () => {
    const docker = { name: 'docker', hasImage: async () => false } as unknown as Runtime;
    const processRt = { name: 'process', hasImage: async (image: string) => image === 'true' } as unknown as Runtime;
    const check = imagePreflight([docker, processRt]);
    const on = (runtime: string, image: string) => parseServiceSpec({ name: 'web', task: { container: { image }, runtime } });
    await check(on('process', 'true'));
    await expect(check(on('docker', 'true'))).rejects.toThrow('not found on this node');
    await check(on('sim', 'anything'));
  });
});
