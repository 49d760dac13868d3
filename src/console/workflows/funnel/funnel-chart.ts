import { hbs } from '../../views/templates';

/** One coloured part of a bar; `className` colours it (console stylesheet, `.funnel-*`). */
export interface BarSegment {
  className: string;
  value: number;
  /** Shown on hover: "3 completed". */
  title: string;
}

/** One row of the chart: a label and its number above a bar made of segments, a detail line below. */
export interface BarRow {
  label: string;
  total: number;
  segments: BarSegment[];
  detail: string;
}

/** Pixel rhythm of a row: label line, bar, detail line, gap. */
const ROW_HEIGHT = 66;
const LABEL_Y = 15;
const BAR_Y = 22;
const BAR_HEIGHT = 16;
const DETAIL_Y = 53;
/** Labels longer than this are cut (the full label stays in the hover title and the table). */
const LABEL_MAX = 38;

const escape = (text: string): string => hbs.Utils.escapeExpression(text);
const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const percent = (value: number): string => `${Math.round(value * 100) / 100}%`;

function rowSvg(row: BarRow, index: number, scale: number): string {
  const top = index * ROW_HEIGHT;
  let offset = 0;
  const segments = row.segments
    .filter((segment) => segment.value > 0)
    .map((segment) => {
      const width = (segment.value / scale) * 100;
      const rect =
        `<rect class="${segment.className}" x="${percent(offset)}" y="${top + BAR_Y}" width="${percent(width)}" ` +
        `height="${BAR_HEIGHT}"><title>${escape(segment.title)}</title></rect>`;
      offset += width;
      return rect;
    });
  return (
    `<g class="funnel-row"><title>${escape(`${row.label}: ${row.total}. ${row.detail}`)}</title>` +
    `<text class="funnel-label" x="0" y="${top + LABEL_Y}">${escape(clip(row.label, LABEL_MAX))}</text>` +
    `<text class="funnel-total" x="100%" y="${top + LABEL_Y}" text-anchor="end">${row.total}</text>` +
    `<rect class="funnel-track" x="0" y="${top + BAR_Y}" width="100%" height="${BAR_HEIGHT}"/>` +
    segments.join('') +
    `<text class="funnel-detail" x="0" y="${top + DETAIL_Y}">${escape(row.detail)}</text></g>`
  );
}

/**
 * Horizontal bars as an inline SVG, for a console page (its CSP allows no inline style: colours come
 * from classes, sizes from attributes). Bars are in percent of the widest total, so the drawing
 * takes the page's width while its text keeps its size, on a phone as on a desktop. The SVG is one
 * image to assistive technology (`role="img"`, named by `title`): the page gives the numbers in a
 * table beside it.
 */
export function barChartSvg(options: { title: string; rows: BarRow[] }): string {
  const scale = Math.max(1, ...options.rows.map((row) => row.total));
  const height = options.rows.length * ROW_HEIGHT;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="funnel-chart" role="img" aria-label="${escape(options.title)}" ` +
    `width="100%" height="${height}"><title>${escape(options.title)}</title>` +
    `${options.rows.map((row, index) => rowSvg(row, index, scale)).join('')}</svg>`
  );
}
