/** A tiny line of the last day's closes, drawn on a canvas (cheap to redraw on every tick). */
import { useEffect, useRef } from "react";

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  values: readonly number[];
  color: string;
  width?: number;
  height?: number;
}

/** The sparkline. */
export function Sparkline({ values, color, width = 64, height = 20 }: SparklineProps): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    const g = canvas?.getContext("2d");
    if (!canvas || !g) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== width * dpr || canvas.height !== height * dpr) {
      canvas.width = width * dpr;
      canvas.height = height * dpr;
    }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    if (values.length < 2) return;
    const min = Math.min(...values), max = Math.max(...values);
    const span = max - min || 1;
    g.strokeStyle = color;
    g.lineWidth = 1.25;
    g.beginPath();
    values.forEach((v, i) => {
      const x = (i / (values.length - 1)) * (width - 2) + 1;
      const y = height - 1 - ((v - min) / span) * (height - 2);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  }, [values, color, width, height]);
  return <canvas ref={ref} className="sparkline" style={{ width, height }} aria-hidden="true" />;
}
