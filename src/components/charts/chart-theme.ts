/**
 * Chart colours come from CSS variables (charts.css sets them for light and dark). They are read into
 * concrete values so an exported SVG or PNG keeps them outside the page.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';
import { useDarkMode } from '../use-dark-mode';

export interface ChartTheme {
  series: string[];
  text: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
}

const SERIES_VARS = Array.from({ length: 10 }, (_, i) => `--chart-${i + 1}`);

const FALLBACK: ChartTheme = {
  series: [
    '#0b5cad',
    '#c2410c',
    '#15803d',
    '#7e22ce',
    '#b91c1c',
    '#0e7490',
    '#a16207',
    '#be185d',
    '#4d7c0f',
    '#475569',
  ],
  text: '#1b1f24',
  muted: '#57606a',
  grid: '#d0d7de',
  background: '#ffffff',
  font: 'system-ui, sans-serif',
};

export function readChartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: SERIES_VARS.map((v, i) => get(v, FALLBACK.series[i])),
    text: get('--chart-text', FALLBACK.text),
    muted: get('--chart-muted', FALLBACK.muted),
    grid: get('--chart-grid', FALLBACK.grid),
    background: get('--chart-bg', FALLBACK.background),
    font: style.fontFamily || FALLBACK.font,
  };
}

/** The theme at `ref`, read again when the system switches between light and dark. */
export function useChartTheme(ref: RefObject<Element | null>): ChartTheme {
  const dark = useDarkMode();
  const [theme, setTheme] = useState<ChartTheme>(FALLBACK);
  useLayoutEffect(() => {
    if (ref.current) setTheme(readChartTheme(ref.current));
  }, [dark, ref]);
  return theme;
}
