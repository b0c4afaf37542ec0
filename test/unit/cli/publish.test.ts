import { parsePublish } from '../../../cli/publish';

const port = (publishedPort: number, targetPort: number, protocol = 'tcp', publishMode = 'ingress') => ({ protocol, targetPort, publishedPort, publishMode });

describe('parsePublish', () => {
  it.each([
    ['8080:80', port(8080, 80)],
    ['8080:80/tcp', port(8080, 80)],
    ['5353:53/udp', port(5353, 53, 'udp')],
    ['80', port(0, 80)],
    ['53/udp', port(0, 53, 'udp')],
    ['mode=host,8080:80', port(8080, 80, 'tcp', 'host')],
    ['mode=host,8080:80/udp', port(8080, 80, 'udp', 'host')],
    ['mode=ingress,80', port(0, 80)],
    ['published=8080,target=80', port(8080, 80)],
    ['mode=host,published=8080,target=80,protocol=udp', port(8080, 80, 'udp', 'host')],
    ['target=80,published=8080,mode=host', port(8080, 80, 'tcp', 'host')],
    ['target=80', port(0, 80)],
    ['65535:1', port(65535, 1)],
  ])('%s', (text, expected) => expect(parsePublish(text)).toEqual(expected));

  it.each([
    ['99999:80', 'invalid --publish: published port 99999 is out of range (expected 1-65535)'],
    ['80:0', 'invalid --publish: target port 0 is out of range (expected 1-65535)'],
    ['0:80', 'invalid --publish: published port 0 is out of range (expected 1-65535)'],
    ['80:99999', 'invalid --publish: target port 99999 is out of range (expected 1-65535)'],
    ['http:80', 'invalid --publish: published port "http" is not a number'],
    ['8080:80/sctp', 'invalid --publish: protocol "sctp" is not supported (expected tcp or udp)'],
    ['mode=bridge,80', 'invalid --publish: mode "bridge" is not a publish mode (expected ingress or host)'],
    ['published=8080', 'invalid --publish: "published=8080" has no target port'],
    ['published=8080,target=80,target=81', 'invalid --publish: "published=8080,target=80,target=81" sets target twice'],
    ['8080:80,81', 'invalid --publish: "8080:80,81" sets target twice'],
    ['published=1,8080:80', 'invalid --publish: "published=1,8080:80" sets published twice'],
    ['port=80', 'invalid --publish: unknown field "port" in "port=80"'],
    ['1.2.3.4:8080:80', 'invalid --publish: "1.2.3.4:8080:80" is not a port mapping'],
    ['', 'invalid --publish: "" is not a port mapping'],
  ])('refuses %j', (text, message) => {
    expect(() => parsePublish(text)).toThrow(message);
  });
});
