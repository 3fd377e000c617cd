-- metric: los_by_ward
-- description: Evergreen Veterans Hospital, length of stay by ward and month of discharge: mean, median and spread in hours.
-- owner: Quality and Performance Office
-- tags: PUBLIC, evergreen, metric
-- upstream: evergreen_admissions
--
-- Definition. Every completed stay counts in the month of its discharge, deaths included. Length of stay is
-- discharge time minus admission time, in hours, as sent by the ADT feed.
--
-- column: discharge_month | date | First day of the month in which the stays ended (their discharge).
-- column: ward | ward name | The ward of the stay.
-- column: n_admissions | stays | Completed stays on the ward discharged in the month, deaths included.
-- column: n_patients | patients | Distinct patients among those stays; small-cell suppression reads this count.
-- column: mean_los_hours | hours | Mean length of stay of those stays.
-- column: median_los_hours | hours | Median length of stay of those stays.
-- column: p10_los_hours | hours | 10th percentile of the length of stay: a tenth of the stays were shorter.
-- column: p90_los_hours | hours | 90th percentile of the length of stay: a tenth of the stays were longer.
--
-- caveat: Definition: length of stay is discharge time minus admission time as the ADT feed sends it, for every completed stay (deaths included), counted in the month of its discharge.
-- caveat: Not risk-adjusted: no adjustment for diagnosis, severity or case mix, so a ward's stays change length when its patients change.
SELECT CAST(date_trunc('month', discharge_time) AS DATE) AS discharge_month,
       ward,
       count(*) AS n_admissions,
       count(DISTINCT patient_id) AS n_patients,
       avg(los_hours) AS mean_los_hours,
       quantile_cont(los_hours, 0.5) AS median_los_hours,
       quantile_cont(los_hours, 0.1) AS p10_los_hours,
       quantile_cont(los_hours, 0.9) AS p90_los_hours
FROM evergreen_admissions
GROUP BY ALL
ORDER BY discharge_month, ward
