/** A chart cell: its settings form and its drawing live with the charts. */
export { ChartCellView } from '../charts/ChartCellView';
