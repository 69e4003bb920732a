package calendar

import "math"

// The astronomy behind the provisional calendar: the instants of the new moons (朔)
// and of the solar terms (节气), from which the Chinese calendar (农历) is reckoned.
// Everything here is computed, nothing is tabled:
//
//   - New moons: Meeus, Astronomical Algorithms (2nd ed.), ch. 49, with the 25
//     periodic and the 14 planetary terms; Meeus gives its error against ELP-2000/82
//     as under a minute for centuries around 2000.
//   - The Sun's apparent longitude: Meeus ch. 25 (low accuracy, 0.01°, with the
//     correction for nutation and aberration). A solar term found from it is within
//     about a quarter of an hour of the ephemeris (checked against libastro for the
//     Qingming terms of 1950–2150), so a term closer than that to midnight could be
//     given the wrong day; none is among the dates the tests check.
//   - ΔT (TT − UT): the Espenak–Meeus polynomials (NASA, Five Millennium Canon).
//
// Instants are Julian Ephemeris Days (TT) inside, converted to UT and then to China
// Standard Time (UTC+8), in which the Chinese calendar reckons its days.

const (
	jdUnixEpoch = 2440587.5 // JD of 1970-01-01 00:00 UT
	cstOffset   = 8.0 / 24  // China Standard Time, UTC+8, in days
	rad         = math.Pi / 180
)

// deltaT returns TT − UT in seconds for a decimal year (Espenak & Meeus).
func deltaT(y float64) float64 {
	switch {
	case y < 1900:
		u := (y - 1820) / 100
		return -20 + 32*u*u
	case y < 1920:
		t := y - 1900
		return -2.79 + 1.494119*t - 0.0598939*t*t + 0.0061966*t*t*t - 0.000197*t*t*t*t
	case y < 1941:
		t := y - 1920
		return 21.20 + 0.84493*t - 0.076100*t*t + 0.0020936*t*t*t
	case y < 1961:
		t := y - 1950
		return 29.07 + 0.407*t - t*t/233 + t*t*t/2547
	case y < 1986:
		t := y - 1975
		return 45.45 + 1.067*t - t*t/260 - t*t*t/718
	case y < 2005:
		t := y - 2000
		return 63.86 + 0.3345*t - 0.060374*t*t + 0.0017275*t*t*t + 0.000651814*t*t*t*t + 0.00002373599*t*t*t*t*t
	case y < 2050:
		t := y - 2000
		return 62.92 + 0.32217*t + 0.005589*t*t
	case y < 2150:
		u := (y - 1820) / 100
		return -20 + 32*u*u - 0.5628*(2150-y)
	default:
		u := (y - 1820) / 100
		return -20 + 32*u*u
	}
}

// cstDay returns the civil day number (see civilDay) in China Standard Time of the
// instant jde (TT).
func cstDay(jde float64) int64 {
	y := 2000 + (jde-2451545)/365.25
	ut := jde - deltaT(y)/86400
	return int64(math.Floor(ut + cstOffset - jdUnixEpoch))
}

// newMoon returns the JDE of new moon number k (k = 0 is the new moon of 2000-01-06).
func newMoon(k float64) float64 {
	t := k / 1236.85
	t2, t3, t4 := t*t, t*t*t, t*t*t*t
	jde := 2451550.09766 + 29.530588861*k + 0.00015437*t2 - 0.000000150*t3 + 0.00000000073*t4
	e := 1 - 0.002516*t - 0.0000074*t2
	m := (2.5534 + 29.10535670*k - 0.0000014*t2 - 0.00000011*t3) * rad
	mp := (201.5643 + 385.81693528*k + 0.0107582*t2 + 0.00001238*t3 - 0.000000058*t4) * rad
	f := (160.7108 + 390.67050284*k - 0.0016118*t2 - 0.00000227*t3 + 0.000000011*t4) * rad
	om := (124.7746 - 1.56375588*k + 0.0020672*t2 + 0.00000215*t3) * rad
	s := math.Sin
	c := -0.40720*s(mp) +
		0.17241*e*s(m) +
		0.01608*s(2*mp) +
		0.01039*s(2*f) +
		0.00739*e*s(mp-m) -
		0.00514*e*s(mp+m) +
		0.00208*e*e*s(2*m) -
		0.00111*s(mp-2*f) -
		0.00057*s(mp+2*f) +
		0.00056*e*s(2*mp+m) -
		0.00042*s(3*mp) +
		0.00042*e*s(m+2*f) +
		0.00038*e*s(m-2*f) -
		0.00024*e*s(2*mp-m) -
		0.00017*s(om) -
		0.00007*s(mp+2*m) +
		0.00004*s(2*mp-2*f) +
		0.00004*s(3*m) +
		0.00003*s(mp+m-2*f) +
		0.00003*s(2*mp+2*f) -
		0.00003*s(mp+m+2*f) +
		0.00003*s(mp-m+2*f) -
		0.00002*s(mp-m-2*f) -
		0.00002*s(3*mp+m) +
		0.00002*s(4*mp)
	planetary := [14][3]float64{
		{299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
		{349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
		{207.14, 2.453732, 0.000060}, {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
		{207.19, 0.121824, 0.000042}, {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
		{239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
	}
	for i, a := range planetary {
		arg := a[0] + a[1]*k
		if i == 0 {
			arg -= 0.009173 * t2
		}
		c += a[2] * s(arg*rad)
	}
	return jde + c
}

// sunLongitude returns the Sun's apparent geocentric longitude, in degrees [0, 360),
// referred to the true equinox of date, at instant jde (TT).
func sunLongitude(jde float64) float64 {
	t := (jde - 2451545) / 36525
	l0 := 280.46646 + 36000.76983*t + 0.0003032*t*t
	m := (357.52911 + 35999.05029*t - 0.0001537*t*t) * rad
	c := (1.914602-0.004817*t-0.000014*t*t)*math.Sin(m) +
		(0.019993-0.000101*t)*math.Sin(2*m) +
		0.000289*math.Sin(3*m)
	om := (125.04 - 1934.136*t) * rad
	lambda := l0 + c - 0.00569 - 0.00478*math.Sin(om)
	return math.Mod(math.Mod(lambda, 360)+360, 360)
}

// solarTerm returns the JDE at which the Sun's apparent longitude reaches lon degrees
// for the first time after jde0 - 15 days and before jde0 + 380 days; jde0 is a guess
// within a few days of it.
func solarTerm(lon, jde0 float64) float64 {
	jde := jde0
	for range 20 {
		diff := lon - sunLongitude(jde)
		diff = math.Mod(diff+540, 360) - 180 // into [-180, 180)
		step := diff * 365.2422 / 360
		jde += step
		if math.Abs(step) < 1e-7 { // about 10 ms
			break
		}
	}
	return jde
}

// termGuess is a guess, within about two days, of the JDE at which the Sun reaches
// longitude lon in Gregorian year y (the March equinox is longitude 0).
func termGuess(y int, lon float64) float64 {
	// Mean March equinox of y (Meeus ch. 27, first approximation), then the mean
	// motion of the Sun.
	ty := (float64(y) - 2000) / 1000
	equinox := 2451623.80984 + 365242.37404*ty + 0.05169*ty*ty
	return equinox + lon*365.2422/360
}

// newMoonOnOrBefore returns the number k of the last new moon whose CST day is on or
// before day n, and that day.
func newMoonOnOrBefore(n int64) (float64, int64) {
	jd := float64(n) + jdUnixEpoch
	k := math.Floor((jd - 2451550.09766) / 29.530588861)
	for cstDay(newMoon(k+1)) <= n {
		k++
	}
	for cstDay(newMoon(k)) > n {
		k--
	}
	return k, cstDay(newMoon(k))
}
