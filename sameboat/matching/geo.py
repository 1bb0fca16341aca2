"""Great-circle geometry for matching, on numpy arrays. Pure: no Django.

Points go onto the unit sphere as 3-D vectors so that a k-d tree (which only knows straight
lines) can answer "who is within d km": the straight-line chord between two points on the
sphere grows monotonically with the great-circle distance, so a ball of chord radius
``chord_for_km(d)`` holds exactly the points within ``d`` km along the surface.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

# The mean Earth radius (IUGG). Its error against the ellipsoid is under 0.5 %, far below the
# precision of the coarse locations members give.
EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


def unit_vectors(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Points on the unit sphere, shape (n, 3), for latitudes and longitudes in degrees."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_for_km(km: float) -> float:
    """The chord on the unit sphere that spans ``km`` along the surface (capped at a diameter)."""
    angle = min(max(km, 0.0) / EARTH_RADIUS_KM, math.pi)
    return 2.0 * math.sin(angle / 2.0)


def km_for_chords(chord: FloatArray) -> FloatArray:
    """Great-circle distances in km for unit-sphere chords (the inverse of chord_for_km)."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in degrees (for checks and tests)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
