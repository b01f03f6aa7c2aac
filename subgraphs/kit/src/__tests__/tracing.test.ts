import { describe, expect, it } from 'vitest';
import { parseTracingSettings } from '../tracing.js';

describe('parseTracingSettings', () => {
  it('is off without an OTLP endpoint, and with OTEL_SDK_DISABLED', () => {
    expect(parseTracingSettings({})).toEqual({ config: undefined, problems: [] });
    expect(parseTracingSettings({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'x' }).config).toBeUndefined();
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).config).toBeUndefined();
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT and takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is', () => {
    expect(parseTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).config).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: undefined,
      sampler: 'parentbased_always_on',
      ratio: 1,
    });
    const { config } = parseTracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc, x-team = mega',
      OTEL_SERVICE_NAME: 'mega-comms',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config).toEqual({
      url: 'https://traces.example/otlp',
      headers: { authorization: 'Basic abc', 'x-team': 'mega' },
      serviceName: 'mega-comms',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
    });
  });

  it('names each malformed variable', () => {
    const { problems } = parseTracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
    });
    expect(problems.map((line) => line.trim().split(':')[0])).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'OTEL_TRACES_SAMPLER',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
  });
});
