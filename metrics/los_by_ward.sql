-- metric: los_by_ward
-- description: Evergreen Veterans Hospital, length of stay by ward and month of discharge: mean, median and spread in hours.
-- owner: Quality and Performance Office
-- tags: PUBLIC, evergreen, metric
-- upstream: evergreen_admissions
--
-- Definition. Every completed stay counts in the month of its discharge, deaths included. Length of stay is
-- discharge time minus admission time, in hours, as sent by the ADT feed.
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
