// A pin on a drawing of the districts' areas (from GET /utility): click or tap to place it, arrow keys to move
// it. Plain SVG instead of a map library: no tiles to fetch (the CSP allows none), a few hundred bytes of code.
import { useId } from 'preact/hooks';
import type { DistrictArea, Utility } from '../shared/utility.ts';
import type { T } from './strings.ts';

export interface LatLong {
  lat: number;
  long: number;
}

const WIDTH = 1000;

interface Projection {
  height: number;
  toXY(point: LatLong): [number, number];
  fromXY(x: number, y: number): LatLong;
  step: number;
}

function corners(area: DistrictArea): Array<[number, number]> {
  if ('polygon' in area) return area.polygon;
  const { south, west, north, east } = area.box;
  return [
    [south, west],
    [north, west],
    [north, east],
    [south, east],
  ];
}

function centre(points: Array<[number, number]>): [number, number] {
  const lat = points.reduce((sum, p) => sum + p[0], 0) / points.length;
  const long = points.reduce((sum, p) => sum + p[1], 0) / points.length;
  return [lat, long];
}

/**
 * The areas the map draws: those around the median centre. A district hundreds of kilometres away (Kogalym for
 * Tyumen) would shrink the city to a speck; it is still reached by its address.
 */
function mappedAreas(districts: Utility['districts']) {
  const areas = districts.flatMap((d) => (d.area ? [{ ...d, points: corners(d.area) }] : []));
  if (areas.length === 0) return [];
  const centres = areas.map((a) => centre(a.points));
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const lat = median(centres.map((c) => c[0]));
  const long = median(centres.map((c) => c[1]));
  return areas.filter((_, i) => {
    const c = centres[i] as [number, number];
    return Math.abs(c[0] - lat) < 1 && Math.abs(c[1] - long) < 1;
  });
}

function projection(points: Array<[number, number]>): Projection {
  const lats = points.map((p) => p[0]);
  const longs = points.map((p) => p[1]);
  const pad = 0.05;
  const spanLat = Math.max(...lats) - Math.min(...lats);
  const spanLong = Math.max(...longs) - Math.min(...longs);
  const north = Math.max(...lats) + spanLat * pad;
  const south = Math.min(...lats) - spanLat * pad;
  const west = Math.min(...longs) - spanLong * pad;
  const east = Math.max(...longs) + spanLong * pad;
  // Equirectangular, with longitude shortened by the cosine of the latitude: true enough for a city.
  const squeeze = Math.cos((((north + south) / 2) * Math.PI) / 180);
  const k = WIDTH / ((east - west) * squeeze);
  return {
    height: Math.round((north - south) * k),
    toXY: (p) => [(p.long - west) * squeeze * k, (north - p.lat) * k],
    fromXY: (x, y) => ({ lat: north - y / k, long: west + x / (squeeze * k) }),
    step: (north - south) / 50,
  };
}

const round = (value: number) => Math.round(value * 1e5) / 1e5;

export function LocationMap(props: {
  districts: Utility['districts'];
  value?: LatLong;
  onValue: (value: LatLong) => void;
  t: T;
}) {
  const { t } = props;
  const statusId = useId();
  const areas = mappedAreas(props.districts);
  if (areas.length === 0) return null;
  const map = projection(areas.flatMap((a) => a.points));

  const place = (event: MouseEvent) => {
    const svg = event.currentTarget as SVGSVGElement;
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    const at = map.fromXY(point.x, point.y);
    props.onValue({ lat: round(at.lat), long: round(at.long) });
  };

  const move = (event: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [1, 0],
      ArrowDown: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const direction = moves[event.key];
    if (!direction) return;
    event.preventDefault();
    const middle = map.fromXY(WIDTH / 2, map.height / 2);
    const from = props.value ?? middle;
    const step = map.step * (event.shiftKey ? 5 : 1);
    props.onValue({
      lat: round(from.lat + direction[0] * step),
      long: round(from.long + (direction[1] * step) / Math.cos((from.lat * Math.PI) / 180)),
    });
  };

  const pin = props.value ? map.toXY(props.value) : undefined;
  return (
    <div class="map-wrap">
      <svg
        class="map"
        viewBox={`0 0 ${WIDTH} ${map.height}`}
        role="application"
        aria-label={t('report.map')}
        aria-describedby={statusId}
        tabindex={0}
        onClick={place}
        onKeyDown={move}
      >
        {areas.map((area) => {
          const [x, y] = map.toXY({ lat: centre(area.points)[0], long: centre(area.points)[1] });
          return (
            <g key={area.code}>
              <polygon
                class="area"
                points={area.points.map(([lat, long]) => map.toXY({ lat, long }).join(',')).join(' ')}
              >
                <title>{area.name}</title>
              </polygon>
              <text class="area-name" x={x} y={y} text-anchor="middle">
                {area.name}
              </text>
            </g>
          );
        })}
        {pin && <circle class="pin" cx={pin[0]} cy={pin[1]} r={14} />}
      </svg>
      <p id={statusId} class="hint" aria-live="polite">
        {props.value
          ? t('report.pinAt', { lat: props.value.lat, long: props.value.long })
          : t('report.noPin')}
      </p>
    </div>
  );
}
